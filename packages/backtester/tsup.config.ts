import { library } from "../../tsup.shared";

export default library({ entry: ["src/index.ts", "src/node.ts"] });
