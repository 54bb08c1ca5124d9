import { fundView, projectionView, type FundJson } from '../../../core';

const fund = (o: Partial<FundJson>): FundJson => ({
  fund: '100',
  name: 'General Fund',
  revenuesCents: 0,
  expendituresCents: 0,
  otherSourcesCents: 0,
  otherUsesCents: 0,
  netChangeCents: 0,
  beginningBalanceCents: 0,
  endingBalanceCents: 0,
  reservePercent: null,
  ...o,
});

const policy = { minimumPpm: 30_000, funds: ['100'] };

describe('the fund view the hosts show', () => {
  it('words a deficit and a reserve below policy, with the amounts', () => {
    const [general, district] = fundView(
      [
        fund({
          revenuesCents: 900_00,
          expendituresCents: 1_000_00,
          netChangeCents: -100_00,
          beginningBalanceCents: 120_00,
          endingBalanceCents: 20_00,
          reservePercent: 2,
        }),
      ],
      fund({ fund: 'District', name: 'All funds', expendituresCents: 1_000_00, endingBalanceCents: 30_00 }),
      policy,
    );
    expect(general).toMatchObject({
      label: '100 General Fund',
      revenues: '$900.00',
      netChange: '-$100.00',
      reserve: '2%',
      policy: 'below 3%',
      deficit: true,
      belowPolicy: true,
      warnings: [
        'Deficit spending: $100.00 more out than in',
        'Reserve below the 3% policy, short by $10.00',
      ],
    });
    // exactly at the policy meets it
    expect(district).toMatchObject({
      label: 'All funds',
      policy: 'meets 3%',
      belowPolicy: false,
      warnings: [],
    });
  });

  it('leaves the policy blank for funds it does not cover, and shows no reserve without expenditures', () => {
    const [other] = fundView(
      [fund({ fund: '200', name: 'Cafeteria', endingBalanceCents: -5_00 })],
      undefined,
      policy,
    );
    expect(other).toMatchObject({ policy: '', reserve: '—', belowPolicy: false, warnings: [] });
  });

  it('labels each projected year', () => {
    const years = projectionView(
      [
        { fiscalYear: 2027, funds: [fund({})], district: fund({ fund: 'District' }) },
        { fiscalYear: 2028, funds: [fund({ netChangeCents: -1 })], district: fund({ fund: 'District' }) },
      ],
      undefined,
    );
    expect(years.map((y) => y.label)).toEqual(['FY2027', 'FY2028']);
    expect(years[1]?.rows[0]?.warnings).toEqual(['Deficit spending: $0.01 more out than in']);
  });
});
