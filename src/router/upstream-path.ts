/**
 * For a balancer, Apache puts the chosen member's own path in front of the balancer-relative
 * path (`mod_proxy_balancer.c:rewrite_url`).
 */

/**
 * The request-target for one balancer member: the member URL's path (as written) followed by
 * the balancer-relative path of the decision, exactly as Apache joins them. A member URL
 * ending in `/` therefore gives `//` (Apache's docs say to write members without one).
 * @example joinMemberPath('/app', '/y/z?q=1') // '/app/y/z?q=1'
 * @example joinMemberPath('/', '/x')         // '//x'
 */
export function joinMemberPath(memberPath: string, balancerPath: string): string {
  return memberPath === '' ? balancerPath : memberPath + balancerPath;
}
