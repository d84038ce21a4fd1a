/** What `latticed demo` prints: endpoints, commands to paste, the python client and the access log. */
import path from 'node:path';

export interface DemoGuide {
  /** The example's directory and files, relative to the current directory when inside it. */
  exampleDir: string;
  configFile: string;
  stateDir: string;
  accessLog: string;
  listenAddress: string;
  listenerPort: number;
  region: string;
  apps: { name: string; port: number }[];
}

const rel = (p: string): string => {
  const r = path.relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
};

/** The `eval "$(…)"` line that puts a role's session credentials into the AWS_* variables. */
export function credentialsCommand(g: DemoGuide, role: string): string {
  return `eval "$(node ${rel(path.join(g.exampleDir, '../../bin/latticed.js'))} credentials --role ${role} --format env -f ${rel(g.configFile)} --state-dir ${rel(g.stateDir)})"`;
}

export function guideLines(g: DemoGuide): string[] {
  const at = `${g.listenAddress}:${g.listenerPort}`;
  const inv = `inventory.shop.internal:${g.listenerPort}`;
  const orders = `orders.shop.internal:${g.listenerPort}`;
  const resolve = `--resolve ${inv}:${g.listenAddress}`;
  const sigv4 = `--aws-sigv4 "aws:amz:${g.region}:vpc-lattice-svcs" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD"`;
  return [
    '',
    'The order-inventory example is running (examples/order-inventory).',
    '',
    `Endpoints (latticed listens on ${at}; the names are custom domains, so curl gets --resolve):`,
    `  inventory-service  http://${inv}  AWS_IAM: order-service-role may only GET /api/stock*`,
    `  order-service      http://${orders}     NONE: the shop network still admits only principals of o-myorgid`,
    `Upstream apps (what used to trust callers by IP): ${g.apps.map((a) => `${a.name} ${g.listenAddress}:${a.port}`).join(', ')}`,
    '',
    'In another shell, from this directory:',
    `  ${credentialsCommand(g, 'order-service-role')}`,
    '',
    '  # allowed: order-service-role reads stock (200; the app echoes x-amzn-lattice-identity)',
    `  curl -s ${resolve} ${sigv4} http://${inv}/api/stock`,
    '',
    '  # denied: the service policy allows GET only (403 AccessDeniedException, service-based policy)',
    `  curl -s ${resolve} ${sigv4} -X POST -d '{"sku":"sku-123"}' http://${inv}/api/stock`,
    '',
    '  # unsigned: an anonymous caller (403 User: anonymous, network-based policy)',
    `  curl -s ${resolve} http://${inv}/api/stock`,
    '',
    '  # order-service calls inventory-service through latticed with its own role credentials',
    `  curl -s --resolve ${orders}:${g.listenAddress} ${sigv4} http://${orders}/api/orders`,
    '',
    `  # python3 + boto3 SigV4Auth: ${rel(path.join(g.exampleDir, 'client.py'))}`,
    `  python3 ${rel(path.join(g.exampleDir, 'client.py'))} --connect ${at} http://${inv}/api/stock`,
    '',
    `Access log (one JSON line per request): ${rel(g.accessLog)}`,
    `  tail -f ${rel(g.accessLog)}`,
    `Edit ${rel(g.configFile)} and save: latticed reloads it (or kill -HUP ${process.pid}).`,
    'Ctrl-C stops everything.',
  ];
}
