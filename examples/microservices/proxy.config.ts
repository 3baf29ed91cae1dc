/**
 * One public origin in front of several services: the users API is spread over two
 * instances, payments is a single service with a short timeout, everything else is the web app.
 * More specific prefixes come first (the first matching route wins, as with Apache's ProxyPass).
 */
import { balancer, defineConfig, route } from 'tsx-proxy';

const users = balancer('users')
  .member('http://127.0.0.1:4001')
  .member('http://127.0.0.1:4002')
  .lbmethod('bybusyness')
  .healthCheck({ method: 'GET', uri: '/health', interval: '5s', passes: 2, fails: 2 });

export default defineConfig({
  listen: { host: '127.0.0.1', port: 8080 },
  headers: { request: { set: { 'X-Forwarded-Proto': 'http' } } },
  routes: [
    route('/api/users/').to(users, { path: '/users/' }),
    route('/api/payments/').to('http://127.0.0.1:4100/payments/', { timeout: '5s', max: 20 }),
    route('/').to('http://127.0.0.1:4000/'),
  ],
});
