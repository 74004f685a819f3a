/**
 * @ocgnet/analysis: who is central, and which groups exist?
 */
export * from './csr.js';
