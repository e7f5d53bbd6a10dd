#!/bin/sh
# Runs as root after the .deb is installed: a dedicated kiosk user that may open serial and USB
# readers (dialout, plugdev) and print (lpadmin is not granted: printers are set up by technicians).
set -e
if ! id kiosk >/dev/null 2>&1; then
  useradd --system --create-home --home-dir /var/lib/taian-kiosk --shell /usr/sbin/nologin kiosk
fi
usermod -a -G dialout,plugdev,lp kiosk
install -d -m 0700 -o kiosk -g kiosk /var/lib/taian-kiosk/data
# USB ID-card readers (VID 0400 PID c35a and others) readable by the kiosk user without root.
cat > /etc/udev/rules.d/70-taian-kiosk.rules <<'RULES'
SUBSYSTEM=="hidraw", ATTRS{idVendor}=="0400", ATTRS{idProduct}=="c35a", GROUP="plugdev", MODE="0660"
SUBSYSTEM=="usb", ATTRS{idVendor}=="0400", ATTRS{idProduct}=="c35a", GROUP="plugdev", MODE="0660"
RULES
udevadm control --reload-rules || true
install -m 0644 /opt/泰安政务服务自助终端/resources/deploy/taian-kiosk.service /etc/systemd/system/ 2>/dev/null || true
