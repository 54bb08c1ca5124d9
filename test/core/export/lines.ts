import type { ExportLine } from '../../../core/export';

/** Lines for the golden files: negatives, zero, stage amounts, and free text that needs care. */
export const TX_LINES: readonly ExportLine[] = [
  {
    site: '001',
    account: '199-11-6119-00-001-7-11-000',
    cents: 5_250_000,
    fte: 1000,
    description: 'Teacher, grade 3',
  },
  {
    site: '001',
    account: '199-11-6399-00-001-7-11-000',
    cents: 123_456,
    description: 'Supplies "classroom"',
  },
  { site: '001', account: '199-11-6399-00-001-7-11-000', cents: -5, description: '-5 cents rounding' },
  {
    site: '002',
    account: '211-11-6119-00-002-7-24-000',
    cents: 0,
    description: '=HYPERLINK("http://x","y")',
  },
  {
    site: '002',
    account: '211-23-6119-00-002-7-23-000',
    cents: 1_400_000,
    description: 'Split 60/40 with line above; a description longer than thirty characters',
    requestedCents: 1_500_000,
    recommendedCents: 1_450_000,
  },
];

export const SACS_LINES: readonly ExportLine[] = [
  { site: 'LIN', account: '0100000000021001300', cents: 9_800_000, description: 'Principal' },
  { site: 'LIN', account: '0130100111010001100', cents: 6_100_000, description: 'Title I teacher' },
  { site: 'LIN', account: '0100000000000008011', cents: -25_000_000, description: 'LCFF state aid' },
];
