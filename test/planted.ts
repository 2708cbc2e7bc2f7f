/**
 * Clear values planted in the fixtures (secrets, card numbers, ID numbers, mobile numbers, names). No report
 * format may ever print one of them; test/reports.test.ts scans every output for each.
 */
export const PLANTED_SECRETS: string[] = [
  // fixtures/leaky-bank/gateway/nginx.conf: App_Secret injected by the gateway
  'hv8Kq2ZtB7xLw3NfR9pD4sY6',
];
