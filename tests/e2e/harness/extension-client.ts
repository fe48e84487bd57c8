/** Moved to scripts/browser/ (the command-line audit uses it too); kept here for the tests' imports. */
export * from '../../../scripts/browser/extension-client.ts';
