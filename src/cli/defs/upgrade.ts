/** CLI definition of `retort upgrade REVISION`. */
import { upgrade } from "../../commands/upgrade.ts";
import { singleTargetCommand } from "./migrate-args.ts";

export default singleTargetCommand("upgrade", "Upgrade to a later revision", "head", upgrade);
