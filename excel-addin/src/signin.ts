/**
 * Who is using the pane, tried in Microsoft's order of preference:
 *
 * 1. Nested app authentication (NAA): MSAL's nestable client (`createNestablePublicClientApplication`)
 *    asks Excel, which holds the user's Microsoft 365 session, for a token of the district's app
 *    registration: `ssoSilent` with the login hint Office gives (`Office.auth.getAuthContext`), then
 *    a popup when Microsoft needs the user (consent, multi-factor). Only when a client ID was
 *    configured (config.ts) and Excel has the NestedAppAuth 1.1 set.
 * 2. The legacy Office single sign-on (`Office.auth.getAccessToken`, IdentityAPI 1.3), for an Excel
 *    without NAA, with the manifest's WebApplicationInfo.
 * 3. Self-declared: the person picks their name from the Roles table; the audit trail records it as
 *    not verified.
 *
 * MSAL is loaded only for path 1 (a dynamic import: webpack's own chunk, `msal.<hash>.js`, served
 * beside taskpane.js and fetched from the pane's origin, which the CSP's script-src 'self' allows):
 * a build without a client ID, or an Excel without NAA, never fetches it.
 *
 * The token's claims are judged by the core (identityFromClaims): which claim is the e-mail and what
 * counts as verified is one rule, not this file's. Only the ID token's claims are read (NAA) or those
 * of the token Office issued for this add-in (legacy): never a Microsoft Graph access token's.
 */
import {
  identityFromClaims,
  signInFailure,
  type Diagnostic,
  type IdentityConfig,
  type PortUser,
  type SignInPath,
} from '../../core';
import { CONFIG } from './config';
import { supports } from './requirements';

/**
 * What the NAA token is asked for. A request must name a scope besides openid/profile/email
 * (Microsoft's NAA guidance), so it names the least one: reading the user's own profile.
 */
export const SIGN_IN_SCOPES = ['User.Read'] as const;

export interface SignInOutcome {
  readonly path: SignInPath;
  /** The verified user, or null (self-declared). */
  readonly user: PortUser | null;
  /** Why the paths before this one gave nobody (BL830, BL831), in the order tried. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The payload of a JWT, decoded (no signature check: Office has just issued it to this add-in). */
export function jwtClaims(token: string): unknown {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64.padEnd(b64.length + ((4 - (b64.length % 4)) % 4), '=')), (c) =>
      c.charCodeAt(0),
    );
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return null;
  }
}

function identityConfig(config: typeof CONFIG): IdentityConfig {
  return { clientId: config.clientId, ...(config.tenantId ? { tenantId: config.tenantId } : {}) };
}

/** The ID token claims MSAL gets through Excel's broker (NAA). */
async function naaClaims(config: typeof CONFIG): Promise<unknown> {
  if (!supports('naa')) throw new Error('this Excel has no nested app authentication (NestedAppAuth 1.1)');
  const authority = `https://login.microsoftonline.com/${config.tenantId || 'organizations'}`;
  const { createNestablePublicClientApplication, InteractionRequiredAuthError } = await import(
    /* webpackChunkName: "msal" */ '@azure/msal-browser'
  );
  const pca = await createNestablePublicClientApplication({
    auth: { clientId: config.clientId, authority },
    cache: { cacheLocation: 'localStorage' },
  });
  let loginHint: string | undefined;
  try {
    loginHint = (await Office.auth.getAuthContext()).userPrincipalName || undefined;
  } catch {
    // No hint: MSAL asks Excel for its signed-in account as it is.
  }
  const request = { scopes: [...SIGN_IN_SCOPES], ...(loginHint ? { loginHint } : {}) };
  try {
    return (await pca.ssoSilent(request)).idTokenClaims;
  } catch (e) {
    if (!(e instanceof InteractionRequiredAuthError)) throw e;
    return (await pca.acquireTokenPopup(request)).idTokenClaims;
  }
}

/** The claims of the legacy single sign-on token (IdentityAPI 1.3). */
async function officeSsoClaims(): Promise<unknown> {
  if (!supports('sso')) throw new Error('this Excel has no single sign-on (IdentityAPI 1.3)');
  const token = await Office.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true });
  return jwtClaims(token);
}

/** Tries NAA, then the legacy SSO, then gives up to self-declared; never throws. */
export async function signIn(config: typeof CONFIG = CONFIG): Promise<SignInOutcome> {
  const diagnostics: Diagnostic[] = [];
  const paths: [SignInPath, boolean, () => Promise<unknown>][] = [
    ['naa', !!config.clientId && supports('naa'), () => naaClaims(config)],
    ['office-sso', supports('sso'), officeSsoClaims],
  ];
  for (const [path, offered, claims] of paths) {
    if (!offered) continue;
    try {
      const r = identityFromClaims(await claims(), path, identityConfig(config));
      if (r.user) return { path, user: r.user, diagnostics };
      diagnostics.push(r.diagnostic);
    } catch (e) {
      diagnostics.push(signInFailure(path, e));
    }
  }
  return { path: 'self-declared', user: null, diagnostics };
}
