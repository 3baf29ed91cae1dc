/**
 * The failover balancer of Apache's reverse proxy guide ("Failover"), as tsx-proxy config:
 *
 *   <Proxy balancer://myset>
 *     BalancerMember http://www2.example.com:8080
 *     BalancerMember http://www3.example.com:8080 loadfactor=3 timeout=1
 *     BalancerMember http://spare1.example.com:8080 status=+R
 *     BalancerMember http://spare2.example.com:8080 status=+R
 *     BalancerMember http://hstandby.example.com:8080 status=+H
 *     BalancerMember http://bkup1.example.com:8080 lbset=1
 *     BalancerMember http://bkup2.example.com:8080 lbset=1
 *     ProxySet lbmethod=byrequests
 *   </Proxy>
 *   ProxyPass "/images/" "balancer://myset/"
 *   ProxyPassReverse "/images/" "balancer://myset/"
 *
 * - spare1 and spare2 are hot spares: each replaces one unusable member of lbset 0.
 * - hstandby is a hot standby: used only when every member and spare of lbset 0 is unusable.
 * - bkup1 and bkup2 (lbset 1) are used only when nothing in lbset 0 can serve.
 */
import { balancer, defineConfig, route } from 'tsx-proxy';

const myset = balancer('myset')
  .member('http://www2.example.com:8080')
  .member('http://www3.example.com:8080', { loadfactor: 3, timeout: 1 })
  .member('http://spare1.example.com:8080', { status: '+R' })
  .member('http://spare2.example.com:8080', { status: '+R' })
  .member('http://hstandby.example.com:8080', { status: '+H' })
  .member('http://bkup1.example.com:8080', { lbset: 1 })
  .member('http://bkup2.example.com:8080', { lbset: 1 })
  .lbmethod('byrequests');

export default defineConfig({
  listen: 8080,
  routes: [route('/images/').to(myset)],
});
