import { library } from "../../tsup.shared";

// worker.ts is a second entry: worker threads load plain JavaScript, found next to the built index.js.
export default library({ entry: ["src/index.ts", "src/worker.ts"], dts: { entry: "src/index.ts" } });
