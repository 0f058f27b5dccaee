import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

/** A QR code as an image (data: URL, allowed by the CSP), for values people compare with a phone or a scanner. */
export function QrCode({ value, label, size = 180 }: { value: string; label: string; size?: number }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { errorCorrectionLevel: 'M', margin: 2, width: size }).then(
      (u) => live && setUrl(u),
      () => live && setUrl(null),
    );
    return () => {
      live = false;
    };
  }, [value, size]);
  return url === null ? null : <img className="qr" src={url} width={size} height={size} alt={label} data-qr={value} />;
}
