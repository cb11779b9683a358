// per_page/page pagination with GitHub's Link header.

export interface Page<T> {
  items: T[];
  /** Link header value, absent when everything fits on one page. */
  link?: string;
}

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

function positiveInt(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value > 0 ? value : undefined;
}

/** `selfUrl` is the absolute URL of the list without query; `query` the request's query. */
export function paginate<T>(items: readonly T[], query: Record<string, string>, selfUrl: string): Page<T> {
  const perPage = Math.min(positiveInt(query.per_page) ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  const page = positiveInt(query.page) ?? 1;
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  if (lastPage === 1) return { items: slice };

  const urlFor = (target: number): string => {
    const params = new URLSearchParams(query);
    params.delete('page');
    params.set('page', String(target));
    return `<${selfUrl}?${params.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${urlFor(Math.min(page - 1, lastPage))}; rel="prev"`);
  if (page < lastPage) {
    links.push(`${urlFor(page + 1)}; rel="next"`);
    links.push(`${urlFor(lastPage)}; rel="last"`);
  }
  if (page > 1) links.push(`${urlFor(1)}; rel="first"`);
  return { items: slice, link: links.join(', ') };
}
