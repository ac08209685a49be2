/** A throwaway nginx on 127.0.0.1 for comparison runs (benchmarks only). */
export interface Nginx {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const nginxPath = "/usr/sbin/nginx";

export async function nginxInstalled(): Promise<boolean> {
  try {
    await Deno.stat(nginxPath);
    return true;
  } catch {
    return false;
  }
}

/** Waits until something accepts connections on the port (bounded: 100 tries, 50 ms apart). */
export async function waitForPort(port: number, attemptsMax = 100): Promise<void> {
  for (let attempt = 0; attempt < attemptsMax; attempt++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`Nothing listens on port ${port}`);
}

/**
 * A reverse proxy `server` block on `port` in front of `upstreamUrls`,
 * balanced by least connections, with `keepalive` idle upstream connections.
 */
export function proxyServerBlock(
  port: number,
  upstreamUrls: readonly string[],
  keepalive: number,
): string {
  const servers = upstreamUrls.map((url) => `server ${new URL(url).host};`).join(" ");
  return `upstream app { least_conn; ${servers} keepalive ${keepalive}; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }`;
}

/**
 * nginx with `httpBody` inside its `http {}` block. One process (no master),
 * so its CPU is the pid's; temp files in a directory of its own, removed at
 * stop.
 */
export async function startNginx(port: number, httpBody: string): Promise<Nginx> {
  const dir = await Deno.makeTempDir({ prefix: "bench_nginx_" });
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    `master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${httpBody}
}
`,
  );
  const child = new Deno.Command(nginxPath, {
    args: ["-p", dir, "-c", `${dir}/nginx.conf`, "-g", "daemon off;"],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeTo(new WritableStream());
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* exited already */ }
    await child.status;
    await stderr.catch(() => {});
    await Deno.remove(dir, { recursive: true });
  };
  try {
    await waitForPort(port);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop };
}
