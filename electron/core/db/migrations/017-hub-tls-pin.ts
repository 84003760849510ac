import { portableMigration } from '../migrate';

/**
 * HTTPS to the hub (issue 11). A hub with a self-signed certificate is trusted by the
 * station that paired with it through that exact certificate: `hub_link.tls_cert` keeps
 * it (PEM) and every later call accepts only it. NULL: plain HTTP, or a certificate the
 * system already trusts (a company or public CA), checked the usual way.
 */
export const m017HubTlsPin = portableMigration(17, 'hub-tls-pin', `ALTER TABLE hub_link ADD COLUMN tls_cert TEXT;`);
