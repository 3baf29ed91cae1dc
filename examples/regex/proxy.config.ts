/**
 * Regex routes (Apache's ProxyPassMatch): `$1`, `$2`... in the target are replaced by the
 * regex's groups.
 *
 *   ProxyPassMatch "^/api/v(\d+)/(.*)$" "http://127.0.0.1:3000/v$1/$2"
 *   ProxyPassMatch "^/(.*\.(?:png|jpg|gif))$" "http://127.0.0.1:3100/static/$1"
 *   ProxyPass "/" "http://127.0.0.1:4000/"
 */
import { defineConfig, route } from 'tsx-proxy';

export default defineConfig({
  listen: 8080,
  routes: [
    route(/^\/api\/v(\d+)\/(.*)$/).to('http://127.0.0.1:3000/v$1/$2'),
    route(/^\/(.*\.(?:png|jpg|gif))$/, { methods: ['GET', 'HEAD'] }).to('http://127.0.0.1:3100/static/$1'),
    route('/').to('http://127.0.0.1:4000/'),
  ],
});
