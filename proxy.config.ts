/**
 * The demo config: `npm run demo` (= `tsx-proxy dev --demo`) starts three demo backends on
 * 127.0.0.1:3001..3003 next to this proxy, so `curl http://127.0.0.1:8080/` shows requests
 * spread over them.
 */
import { balancer, defineConfig, route } from 'tsx-proxy';

// Three members with equal weight: byrequests sends them requests in turn (Apache's default method).
const demo = balancer('demo')
  .member('http://127.0.0.1:3001')
  .member('http://127.0.0.1:3002')
  .member('http://127.0.0.1:3003')
  .lbmethod('byrequests');

export default defineConfig({
  listen: { host: '127.0.0.1', port: 8080 },
  routes: [
    // Live status of the balancer, from this machine only.
    route('/balancer-manager').manager({ allow: ['127.0.0.1', '::1'] }),
    // Carve-outs come first: the first matching route wins, as with Apache's ProxyPass.
    route('/private/').deny(),
    // A plain-URL route (ProxyPass "/third/" "http://127.0.0.1:3003/"): always demo-backend-3.
    route('/third/').to('http://127.0.0.1:3003/'),
    route('/').to(demo),
  ],
});
