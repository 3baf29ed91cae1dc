/**
 * Reads Apache's own view of a balancer's members from its balancer-manager XML, so member
 * state (status flags, lbstatus, elected, retries) is compared too, not only the picks.
 */
import { get } from 'node:http';
import { APACHE_MANAGER_PATH } from './apache-config.js';

/** One member as Apache's balancer-manager reports it (and as simulate's snapshot does). */
export interface MemberView {
  readonly port: number;
  /** Apache's status string, e.g. `Init Ok `, `Init Err `. */
  readonly status: string;
  readonly lbstatus: number;
  readonly elected: number;
  readonly retries: number;
  readonly busy: number;
}

/** GET on a fresh connection, closed after: `apache2 -X` serves one connection at a time. */
function getText(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, headers: { ...headers, connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function field(xml: string, name: string): string {
  const m = new RegExp(`<httpd:${name}>([^<]*)</httpd:${name}>`).exec(xml);
  if (!m) throw new Error(`balancer-manager XML has no <httpd:${name}>`);
  return m[1]!;
}

/** Members of `balancer://name` in configuration order, from `GET /<manager>?xml=1`. */
export async function apacheMembers(apacheUrl: string, name: string): Promise<MemberView[]> {
  // Apache serves the XML only to a request whose Referer names its own host (apache-semantics §10.40).
  const xml = await getText(`${apacheUrl}${APACHE_MANAGER_PATH}?xml=1`, { referer: `${apacheUrl}/` });
  const balancer = xml
    .split('<httpd:balancer>')
    .find((part) => part.includes(`<httpd:name>balancer://${name}</httpd:name>`));
  if (!balancer) throw new Error(`balancer-manager XML has no balancer://${name}:\n${xml}`);
  return balancer
    .split('<httpd:worker>')
    .slice(1)
    .map((w) => ({
      port: Number(field(w, 'port')),
      status: field(w, 'status'),
      lbstatus: Number(field(w, 'lbstatus')),
      elected: Number(field(w, 'elected')),
      retries: Number(field(w, 'retries')),
      busy: Number(field(w, 'busy')),
    }));
}
