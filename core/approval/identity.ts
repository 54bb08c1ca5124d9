/**
 * Who is signed in: the one rule that turns what Microsoft's sign-in says about a person (the claims
 * of a token) into a Budgetline user, and what counts as verified. Pure: hosts get the token (the
 * Excel add-in: MSAL with nested app authentication, else Office's legacy single sign-on), decode its
 * claims and ask here; nothing here calls a host or the network.
 *
 * Verified means: a token Microsoft Entra ID issued for this add-in's app registration (`aud`), to an
 * organisational account (`tid`, not the personal-account tenant), of the district's tenant when the
 * district configured one, handed to the add-in by Office. Budgetline has no server, so nobody checks
 * the token's signature: the guarantee is Office's (it gives the token to the add-in it loaded from
 * the district's URL), not a cryptographic proof the workbook keeps. README: "What verified means".
 */
import { diag, type Diagnostic } from '../diagnostics';
import type { PortUser } from '../port/types';

/** How the user was identified, in the order the Excel add-in tries them. */
export type SignInPath = 'naa' | 'office-sso' | 'self-declared';

/** The words a pane shows for each path. */
export const SIGN_IN_PATHS: Readonly<Record<SignInPath, string>> = {
  naa: 'Microsoft Entra ID (nested app authentication)',
  'office-sso': 'Office single sign-on',
  'self-declared': 'self-declared (not verified)',
};

/** The district's app registration, as configured at build time (README: BUDGETLINE_CLIENT_ID). */
export interface IdentityConfig {
  /** The Application (client) ID; empty when the district registered none. */
  readonly clientId: string;
  /** The district's tenant (directory) ID; when set, only its accounts are verified. */
  readonly tenantId?: string;
}

/** The tenant of personal Microsoft accounts (outlook.com, …): never a district identity. */
export const CONSUMER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

export type IdentityOutcome =
  | { readonly user: PortUser; readonly diagnostic?: undefined }
  | { readonly user: null; readonly diagnostic: Diagnostic };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** An e-mail-like sign-in name: one @, something on each side, no spaces. */
function isAddress(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
}

/**
 * The user the claims name, verified, or why not (BL830). The e-mail is `preferred_username` (v2.0
 * tokens: the sign-in name, the UPN of a work or school account), else `upn` (v1.0 tokens); the
 * `email` claim is never used, as Entra ID does not verify it and a user may be able to set it.
 * Addresses are compared lower-case, as the Roles table is.
 */
export function identityFromClaims(
  claims: unknown,
  path: SignInPath,
  config: IdentityConfig,
): IdentityOutcome {
  const refuse = (who: string, reason: string): IdentityOutcome => ({
    user: null,
    diagnostic: diag('BL830', { path: SIGN_IN_PATHS[path], who, reason }),
  });
  if (!claims || typeof claims !== 'object' || Array.isArray(claims))
    return refuse('', 'the token carries no claims');
  const c = claims as Record<string, unknown>;
  const name = str(c['preferred_username']) ?? str(c['upn']);
  if (!name || !isAddress(name))
    return refuse(name ?? '', 'the token names no sign-in address (preferred_username or upn)');
  const email = name.toLowerCase();

  const clientId = config.clientId.trim().toLowerCase();
  if (clientId) {
    const aud = (str(c['aud']) ?? '').toLowerCase();
    if (aud !== clientId && !aud.endsWith(`/${clientId}`))
      return refuse(
        email,
        `the token is for another application (${aud || 'no audience'}), not Budgetline's`,
      );
  }
  const tid = (str(c['tid']) ?? '').toLowerCase();
  if (!tid) return refuse(email, 'the token names no directory (tenant)');
  if (tid === CONSUMER_TENANT)
    return refuse(email, 'it is a personal Microsoft account, not a work or school account');
  const tenant = (config.tenantId ?? '').trim().toLowerCase();
  if (tenant && tid !== tenant) return refuse(email, `the account belongs to another directory (${tid})`);
  const iss = str(c['iss'])?.toLowerCase();
  if (iss && !iss.includes(`/${tid}/`))
    return refuse(email, `the token's issuer (${iss}) is not its directory's`);

  const display = str(c['name']);
  return { user: { email, ...(display ? { name: display } : {}), verified: true } };
}

/** Why a sign-in path gave no token (BL831), from whatever the host threw. */
export function signInFailure(path: SignInPath, error: unknown): Diagnostic {
  let problem: string;
  if (error instanceof Error || (error && typeof error === 'object')) {
    const e = error as { message?: unknown; code?: unknown; errorCode?: unknown; name?: unknown };
    const code = str(e.errorCode) ?? (typeof e.code === 'number' ? String(e.code) : str(e.code));
    const message = str(e.message) ?? str(e.name) ?? 'no reason given';
    problem = code && !message.includes(code) ? `${message} (${code})` : message;
  } else problem = str(error) ?? 'no reason given';
  return diag('BL831', { path: SIGN_IN_PATHS[path], problem });
}
