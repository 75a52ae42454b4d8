/**
 * The test kit: what scripts/ (demo, screenshots) and bench/ use from the test tree, in one place.
 * Real peers (n8n, OpenSSH sshd, the in-process SFTP server), the ERP emulators, the demo's stand-ins
 * with their credentials, and the shipped templates. The browser driver is in ./editor (it loads
 * playwright-core, which the rest does not need).
 */
export * from '../fixtures/n8n/instance';
export { startSshd, type SshdFixture } from '../fixtures/sshd';
export { startSftpServer } from '../fixtures/sftp-server';
export { startOdooEmulator, type OdooEmulator } from '../emulators/odoo';
export { startQuickBooksEmulator, type QuickBooksEmulator } from '../emulators/quickbooks';
export * from './standIns';
export * from './templates';
export { distinctFreePorts, freePort } from './ports';
