/** Feed jobs: canonical records or ERP pages → Stampli feed file → atomic SFTP upload, in constant memory; cursors committed after the upload. */
export * from './kinds';
export * from './pipeline';
export * from './state';
export * from './templateOptions';
export * from './quickbooksFeed';
