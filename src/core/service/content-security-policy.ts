/** The one CSP of every page of the app, in Electron (app://) and on loopback: nothing but the app itself. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
