import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

/**
 * Exposes exactly the contract: one `call` and one event subscription. Inputs are
 * validated in the main process; nothing else of Node or Electron reaches the page.
 */
contextBridge.exposeInMainWorld('proofpackIpc', {
  call: (name: string, input: unknown) => ipcRenderer.invoke('proofpack:call', name, input),
  onEvent: (listener: (event: string, payload: unknown) => void) => {
    const wrapped = (_e: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on('proofpack:event', wrapped);
    return () => ipcRenderer.removeListener('proofpack:event', wrapped);
  },
});
