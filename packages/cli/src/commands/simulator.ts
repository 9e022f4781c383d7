/** `reins simulator`: not built yet; its issue fills this in. */
export async function run(_argv: string[]): Promise<void> {
  throw new Error("'reins simulator' is not available yet");
}
