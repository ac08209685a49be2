/** A TCP listener standing where Redis would be: it counts connections and answers nothing. */
export function connectionCounter() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted: Deno.Conn[] = [];
  const waiters: Array<() => void> = [];
  (async () => {
    for await (const conn of listener) {
      accepted.push(conn);
      waiters.splice(0).forEach((wake) => wake());
    }
  })();
  return {
    url: `redis://127.0.0.1:${listener.addr.port}`,
    get count() {
      return accepted.length;
    },
    firstConnection: () =>
      new Promise<void>((resolve) => accepted.length ? resolve() : waiters.push(resolve)),
    close() {
      listener.close();
      for (const conn of accepted) conn.close();
    },
  };
}
