import { DELIVERY_LABELS, type DeliveryChoice } from './proofs.js';

/**
 * A delivery choice in words for the receipt and the result screen: the method, and for 邮寄 only the
 * phone's last four digits (a receipt may be left in the hall; the address stays with central's record).
 */
export function deliveryWords(choice: DeliveryChoice): string {
  switch (choice.method) {
    case 'window-pickup':
      return `${DELIVERY_LABELS['window-pickup']}（办结后凭身份证到窗口领取）`;
    case 'post':
      return `${DELIVERY_LABELS.post}送达（手机尾号 ${choice.phone.slice(-4)}）`;
    case 'e-licence':
      return `仅${DELIVERY_LABELS['e-licence']}（不寄送纸质结果）`;
    default:
      throw new Error(`unhandled delivery: ${JSON.stringify(choice satisfies never)}`);
  }
}
