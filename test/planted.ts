/**
 * Clear values planted in the fixtures (secrets, card numbers, ID numbers, mobile numbers, names). No report
 * format may ever print one of them; test/reports.test.ts scans every output for each.
 */
export const PLANTED_SECRETS: string[] = [
  // fixtures/leaky-bank/gateway/nginx.conf: App_Secret injected by the gateway
  'hv8Kq2ZtB7xLw3NfR9pD4sY6',
  // fixtures/leaky-bank/logs/openapi-access.log: card numbers in request paths, a JWT in a query string
  '6217001234567890122',
  '6228480041234567893',
  'eyJhbGciOiJIUzI1NiJ9.eyJhcHAiOiJodmJfcGFydG5lcjAxIn0',
  // fixtures/partner-app: App_Secret in application.yml; a name, ID number, mobile and card in the log
  '9sKd72LmQx4Vb8Nz3Rt6Wy1P',
  '110105198706123459',
  '13912345678',
  '6228480041234567893',
  '王小明',
  '李四',
  // fixtures/compliant-bank/logs: the debtor account is logged masked; its clear form must never appear
  '6217001234567890122',
];
