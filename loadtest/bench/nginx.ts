import { nginxInstalled, waitForPort } from "../../gateway/bench/nginx.ts";

export { nginxInstalled };

/** A throwaway nginx on 127.0.0.1, for comparisons. */
export interface Nginx {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Kept-alive connections per upstream: above the capacity runs' in-flight count. */
const upstreamKeepalive = 128;

/**
 * nginx spreading requests over `upstreamUrls` by least connections (the
 * gateway balances by least in flight), with keep-alive upstream
 * connections. Requests pass through unchanged, so the generator's signed
 * requests reach ingest valid.
 */
export function startNginxBalancer(port: number, upstreamUrls: readonly string[]): Promise<Nginx> {
  const servers = upstreamUrls.map((url) => `server ${new URL(url).host};`).join(" ");
  return startNginx(
    port,
    `upstream ingest { least_conn; ${servers} keepalive ${upstreamKeepalive}; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://ingest;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }`,
  );
}

/**
 * nginx answering every request at once with a fixed authorized payment:
 * load against it costs the system nothing, so what it shows is the
 * generator's own cost and latency floor.
 */
export function startNginxStub(port: number): Promise<Nginx> {
  const answer = JSON.stringify({ paymentId: "pay_stub", status: "AUTHORIZED" });
  return startNginx(
    port,
    `server {
    listen 127.0.0.1:${port};
    keepalive_requests 1000000;
    location / { default_type application/json; return 201 '${answer}'; }
  }`,
  );
}

/**
 * One process (no master), so its CPU is the pid's, as the gateway is one
 * process too; temp files in a directory of its own, removed at stop.
 */
async function startNginx(port: number, httpBody: string): Promise<Nginx> {
  const dir = await Deno.makeTempDir({ prefix: "lt_bench_nginx_" });
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
  const child = new Deno.Command("/usr/sbin/nginx", {
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
