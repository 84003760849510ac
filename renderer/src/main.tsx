import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { ApiProvider } from './api/context';
import { App } from './app/App';
import './styles.css';

const client = createClient();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider client={client}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
