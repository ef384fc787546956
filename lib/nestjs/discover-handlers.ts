import type { DiscoveryService } from "@nestjs/core";
import { CactusConfigError } from "../errors";
import { CactusHandler } from "../handler/cactus-handler";
import { isCactusWebhookHandler } from "./cactus-webhook-handler";
import type { DiscoveredHandler } from "./handler-table";

/**
 * Every provider of the app that handles CactusEvents: instances of `CactusHandler` subclasses and
 * of `@CactusWebhookHandler()` classes, each once. They must be singletons (the default scope): a
 * request-scoped handler has no instance to deliver to.
 */
export function discoverHandlers(discovery: DiscoveryService): DiscoveredHandler[] {
  const seen = new Set<object>();
  const found: DiscoveredHandler[] = [];
  for (const wrapper of discovery.getProviders()) {
    const type: unknown = wrapper.metatype;
    const instance: unknown = wrapper.instance;
    const marked = isCactusWebhookHandler(type) || (typeof type === "function" && type.prototype instanceof CactusHandler);
    if (!marked && !(instance instanceof CactusHandler)) continue;
    if (!wrapper.isDependencyTreeStatic()) {
      throw new CactusConfigError(`${String(wrapper.name)} handles CactusEvents, so it must be a singleton provider (the default scope), not request- or transient-scoped`);
    }
    if (typeof instance !== "object" || instance === null || seen.has(instance)) continue;
    seen.add(instance);
    found.push({ instance });
  }
  return found;
}
