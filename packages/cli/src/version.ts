/** The version of ocgnet, reported by --version and written into every manifest. */
export const OCGNET_VERSION = '0.1.0';
