import { CONSUMER_TENANT, identityFromClaims, signInFailure } from '../../../core';

const CLIENT = '3f2a9c1e-5b7d-4e2f-9a10-6c8d2e4b1f07';
const TENANT = 'b7a1c2d3-0000-4000-8000-00000000d15c';
const good = {
  aud: CLIENT,
  tid: TENANT,
  iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  preferred_username: 'Bea.Builder@District.k12.us',
  name: 'Bea Builder',
  email: 'someone.else@district.k12.us',
};

describe('identityFromClaims: which claims give the e-mail, what counts as verified', () => {
  it.each([
    ['a v2.0 id token of a district account', good, { clientId: CLIENT }],
    ['the district tenant, when configured', good, { clientId: CLIENT, tenantId: TENANT.toUpperCase() }],
    [
      "the legacy SSO token's audience: the Application ID URI",
      { ...good, aud: `api://budget.district.org/${CLIENT}` },
      { clientId: CLIENT },
    ],
    ['no client ID configured: the audience is not checked', { ...good, aud: 'anything' }, { clientId: '' }],
  ])('verifies %s', (_, claims, config) => {
    expect(identityFromClaims(claims, 'naa', config)).toEqual({
      user: { email: 'bea.builder@district.k12.us', name: 'Bea Builder', verified: true },
    });
  });

  it('takes upn (v1.0 tokens) when there is no preferred_username, and never the email claim', () => {
    const { preferred_username: _, ...v1 } = good;
    expect(
      identityFromClaims({ ...v1, upn: 'ann@district.k12.us' }, 'office-sso', { clientId: CLIENT }).user,
    ).toEqual({
      email: 'ann@district.k12.us',
      name: 'Bea Builder',
      verified: true,
    });
    const r = identityFromClaims(v1, 'naa', { clientId: CLIENT });
    expect(r.user).toBeNull();
    expect(r.diagnostic?.code).toBe('BL830');
    expect(r.diagnostic?.message).toMatch(/no sign-in address/);
  });

  it.each([
    [
      'a personal Microsoft account',
      { ...good, tid: CONSUMER_TENANT, iss: `https://login.microsoftonline.com/${CONSUMER_TENANT}/v2.0` },
      {},
      /personal Microsoft account/,
    ],
    [
      'another directory than the district',
      {
        ...good,
        tid: 'c0ffee00-0000-4000-8000-000000000001',
        iss: 'https://login.microsoftonline.com/c0ffee00-0000-4000-8000-000000000001/v2.0',
      },
      { tenantId: TENANT },
      /another directory/,
    ],
    [
      'a token for another application',
      { ...good, aud: '00000003-0000-0000-c000-000000000000' },
      {},
      /another application/,
    ],
    ['no tenant', { ...good, tid: undefined }, {}, /no directory/],
    [
      'an issuer of another directory',
      { ...good, iss: 'https://login.microsoftonline.com/c0ffee00-0000-4000-8000-000000000001/v2.0' },
      {},
      /issuer/,
    ],
    [
      'a sign-in name that is not an address',
      { ...good, preferred_username: 'bea' },
      {},
      /no sign-in address/,
    ],
    ['no claims at all', null, {}, /no claims/],
  ])('refuses %s (BL830), naming the person and why', (_, claims, extra, why) => {
    const r = identityFromClaims(claims, 'naa', { clientId: CLIENT, ...extra });
    expect(r.user).toBeNull();
    expect(r.diagnostic).toMatchObject({ code: 'BL830', severity: 'warning' });
    expect(r.diagnostic?.message).toMatch(why);
    expect(r.diagnostic?.message).toMatch(/nested app authentication/);
  });

  it('words a failed sign-in (BL831) from whatever the host threw', () => {
    expect(
      signInFailure(
        'naa',
        Object.assign(new Error('User cancelled the flow'), { errorCode: 'user_cancelled' }),
      ).message,
    ).toBe(
      'sign-in through Microsoft Entra ID (nested app authentication) failed: User cancelled the flow (user_cancelled)',
    );
    expect(
      signInFailure('office-sso', { code: 13003, message: 'Unsupported user identity type.' }).message,
    ).toMatch(/Office single sign-on failed: Unsupported user identity type\. \(13003\)/);
    expect(signInFailure('naa', undefined).message).toMatch(/no reason given/);
  });
});
