import type { AnyRoute, HttpMethod } from './route.js';

/**
 * Matches a request path against the route table the way API Gateway does: literal segments exactly,
 * `{name}` segments as one non-empty path segment. Literal routes win over parameterised ones.
 */
interface Compiled {
  route: AnyRoute;
  regex: RegExp;
  names: string[];
  literalSegments: number;
}

export interface Match {
  route: AnyRoute;
  params: Record<string, string>;
}

export type MatchResult = { kind: 'found'; match: Match } | { kind: 'wrong-method'; allowed: HttpMethod[] } | { kind: 'none' };

export function compilePath(path: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const pattern = path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z][A-Za-z0-9_]*)\}$/.exec(segment);
      if (param) {
        names.push(param[1]!);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${pattern}/?$`), names };
}

export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly AnyRoute[]) {
    const seen = new Set<string>();
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) throw new Error(`Duplicate route ${key}`);
      seen.add(key);
      if (r.access === 'private' && !r.permission) throw new Error(`Private route ${key} names no permission`);
    }
    this.compiled = routes
      .map((route) => {
        const { regex, names } = compilePath(route.path);
        return { route, regex, names, literalSegments: route.path.split('/').filter((s) => s && !s.startsWith('{')).length };
      })
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  match(method: string, path: string): MatchResult {
    const wanted = method === 'HEAD' ? 'GET' : method;
    const allowed: HttpMethod[] = [];
    for (const c of this.compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      if (c.route.method !== wanted) {
        allowed.push(c.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      let decodable = true;
      c.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(m[i + 1]!);
        } catch {
          decodable = false;
        }
      });
      if (!decodable) return { kind: 'none' };
      return { kind: 'found', match: { route: c.route, params } };
    }
    return allowed.length ? { kind: 'wrong-method', allowed: [...new Set(allowed)] } : { kind: 'none' };
  }

  /** Methods served on a path (for CORS preflight). */
  methodsFor(path: string): HttpMethod[] {
    return [...new Set(this.compiled.filter((c) => c.regex.test(path)).map((c) => c.route.method))];
  }
}
