/** Settings repository: small values the app keeps between visits (see SettingRecord). */
import { db } from './db';

export async function getSetting<T>(key: string): Promise<T | undefined> {
  const record = await db().settings.get(key);
  return record?.value as T | undefined;
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await db().settings.put({ key, value });
}

export async function deleteSetting(key: string): Promise<void> {
  await db().settings.delete(key);
}
