/** Words for the names the targets give to what a query computes once (KQL's extends, Logs Insights' fields). */

/** `groupName` → `GroupName`, `head_commit` → `HeadCommit`, `"us-east-1"` → `UsEast1`. */
export function camel(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}
