// Decorators below read type metadata while this module loads, whichever module a program imports first.
import "reflect-metadata";
import { Type } from "class-transformer";
import { IsBoolean, IsDefined, IsInt, IsObject, IsString, Min, ValidateNested } from "class-validator";
import { BaseFullEvent, OrderPushedEvent, pullAs, UnrelatedPushedEvent, type RelatedObjectRefOf } from "./base";
import { Wire } from "./wire";

// ---- order.shipped ------------------------------------------------------------------------

/** `data` of `order.shipped`. */
export class OrderShippedData {
  /** Carrier, e.g. `usps`. */
  @Wire("shipping_service") @IsString() readonly shippingService!: string;
}

/** Full `order.shipped` event, with its data. */
export class OrderShippedEvent extends BaseFullEvent {
  declare readonly type: "order.shipped";
  declare readonly relatedObject: RelatedObjectRefOf<"order">;
  /** The shipment's data. */
  @Wire() @IsDefined() @IsObject() @ValidateNested() @Type(() => OrderShippedData)
  readonly data!: OrderShippedData;
}

/** Pushed `order.shipped`: an order left the warehouse. */
export class OrderShippedPushedEvent extends OrderPushedEvent {
  declare readonly type: "order.shipped";
  /** Retrieves the full event with its {@link OrderShippedData}. */
  pull(): Promise<OrderShippedEvent> {
    return pullAs(this, OrderShippedEvent);
  }
}

// ---- order.delivery_attempted ---------------------------------------------------------------

/** `data` of `order.delivery_attempted`. */
export class OrderDeliveryAttemptedData {
  /** Whether the delivery succeeded. */
  @Wire() @IsBoolean() readonly success!: boolean;
  /** Attempt number, from 1. */
  @Wire("attempt_num") @IsInt() @Min(1) readonly attemptNum!: number;
  /** Where delivery was attempted, e.g. `front door`. */
  @Wire("delivery_location") @IsString() readonly deliveryLocation!: string;
}

/** Full `order.delivery_attempted` event, with its data. */
export class OrderDeliveryAttemptedEvent extends BaseFullEvent {
  declare readonly type: "order.delivery_attempted";
  declare readonly relatedObject: RelatedObjectRefOf<"order">;
  /** The attempt's data. */
  @Wire() @IsDefined() @IsObject() @ValidateNested() @Type(() => OrderDeliveryAttemptedData)
  readonly data!: OrderDeliveryAttemptedData;
}

/** Pushed `order.delivery_attempted`: a carrier tried to deliver an order. */
export class OrderDeliveryAttemptedPushedEvent extends OrderPushedEvent {
  declare readonly type: "order.delivery_attempted";
  /** Retrieves the full event with its {@link OrderDeliveryAttemptedData}. */
  pull(): Promise<OrderDeliveryAttemptedEvent> {
    return pullAs(this, OrderDeliveryAttemptedEvent);
  }
}

// ---- order.lost (no related object) ---------------------------------------------------------

/** `data` of `order.lost`. */
export class OrderLostData {
  /** Last city the parcel was seen in. */
  @Wire("last_seen_city") @IsString() readonly lastSeenCity!: string;
}

/** Full `order.lost` event, with its data. It has no related object. */
export class OrderLostEvent extends BaseFullEvent {
  declare readonly type: "order.lost";
  declare readonly relatedObject?: undefined | null;
  /** Where the parcel was last seen. */
  @Wire() @IsDefined() @IsObject() @ValidateNested() @Type(() => OrderLostData)
  readonly data!: OrderLostData;
}

/** Pushed `order.lost`: a parcel is lost. No related object, so no `fetchRelatedObject()`. */
export class OrderLostPushedEvent extends UnrelatedPushedEvent {
  declare readonly type: "order.lost";
  /** Retrieves the full event with its {@link OrderLostData}. */
  pull(): Promise<OrderLostEvent> {
    return pullAs(this, OrderLostEvent);
  }
}
