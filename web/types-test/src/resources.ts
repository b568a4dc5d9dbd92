// Resource-scoped persistent entries (SPEC section 10), as an extension author writes them. Type-checked only.
import { getContext } from '@extension-storage/core';
import type { StorageChange, StorageResource, Unsubscribe } from '@extension-storage/core';

interface Layout {
  columns: number;
}

const { persistent } = getContext().storage;

export async function dashboardLayout(uuid: string): Promise<Unsubscribe> {
  const dashboard = persistent.forResource('dashboard', uuid);
  await dashboard.set<Layout>('layout', { columns: 3 });
  const layout: Layout | null = await dashboard.get<Layout>('layout');
  await dashboard.shared.set('title', 'Sales');
  await persistent.shared.forResource('dashboard', uuid).remove('title');
  await dashboard.update<number>('views', (n) => (n ?? 0) + 1);
  const page = await dashboard.list<Layout>({ page: 0, pageSize: 10 });
  console.log(layout?.columns, page.count);
  return dashboard.onChange((change) => {
    if (!('reset' in change && change.reset)) {
      const c = change as StorageChange;
      const r: StorageResource | undefined = c.resource;
      console.log(r?.type, r?.uuid, c.key);
    }
  });
}

// @ts-expect-error the id is a string
persistent.forResource('dashboard', 42);
// @ts-expect-error two arguments
persistent.forResource('dashboard');
