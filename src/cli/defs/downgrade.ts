/** CLI definition of `retort downgrade REVISION`. */
import { downgrade } from "../../commands/downgrade.ts";
import { singleTargetCommand } from "./migrate-args.ts";

export default singleTargetCommand("downgrade", "Revert to a previous revision", "-1", downgrade);
