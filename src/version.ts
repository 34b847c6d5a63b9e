/** xtwin's version, written into every dataset; a test keeps it equal to package.json's. */
export const XTWIN_VERSION = "0.1.0";
