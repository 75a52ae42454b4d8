/** Feed pipeline: canonical records or Odoo pages → Stampli feed file → atomic SFTP upload, in constant memory. */
export * from './kinds';
export * from './pipeline';
export * from './templateOptions';
