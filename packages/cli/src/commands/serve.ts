/** `reins serve`: not built yet; its issue fills this in. */
export async function run(_argv: string[]): Promise<void> {
  throw new Error("'reins serve' is not available yet");
}
