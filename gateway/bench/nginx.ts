/** A throwaway nginx reverse proxy on 127.0.0.1 in a temp dir, for comparison runs. */
export interface Nginx {
  readonly url: string;
  stop(): Promise<void>;
}

/** Kept-alive connections from nginx to the upstream: matches the load's concurrency. */
const nginxUpstreamKeepalive = 64;

export async function nginxInstalled(): Promise<boolean> {
  try {
    await Deno.stat("/usr/sbin/nginx");
    return true;
  } catch {
    return false;
  }
}

export async function startNginx(port: number, upstreamUrl: string): Promise<Nginx> {
  const dir = await Deno.makeTempDir({ prefix: "gw_bench_nginx_" });
  const upstream = new URL(upstreamUrl).host;
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream app { server ${upstream}; keepalive ${nginxUpstreamKeepalive}; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const child = new Deno.Command("/usr/sbin/nginx", {
    args: ["-p", dir, "-c", `${dir}/nginx.conf`, "-g", "daemon off;"],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  await waitForPort(port);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Waits until something accepts connections on the port (bounded). */
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
