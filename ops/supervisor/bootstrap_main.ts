import { processEnv } from "@pay/lib/config";
import { bootstrap } from "./bootstrap.ts";

await bootstrap(processEnv(), (line) => console.log(line));
