/**
 * The deployment's configuration, fixed at build time (excel-addin/webpack.config.js puts it here
 * from the environment; scripts/addin-config.js reads and checks it, and also writes manifest.xml
 * with it):
 *   BUDGETLINE_ADDIN_URL   where dist/excel-addin/ is served (default https://localhost:3000)
 *   BUDGETLINE_CLIENT_ID   the Application (client) ID of the district's app registration (default
 *                          none: no sign-in through MSAL, people pick their name, self-declared)
 *   BUDGETLINE_TENANT_ID   optional: the district's directory; only its accounts count as verified
 * Outside webpack (jest), nothing is defined and the defaults hold.
 */
export interface AddinConfig {
  readonly addinUrl: string;
  readonly clientId: string;
  readonly tenantId: string;
}

declare const __BUDGETLINE_CONFIG__: AddinConfig | undefined;

export const CONFIG: AddinConfig =
  typeof __BUDGETLINE_CONFIG__ === 'object' && __BUDGETLINE_CONFIG__ !== null
    ? __BUDGETLINE_CONFIG__
    : { addinUrl: 'https://localhost:3000', clientId: '', tenantId: '' };
