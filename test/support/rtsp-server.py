#!/usr/bin/python3
# A real RTSP server for the tests and benches: GStreamer's gst-rtsp-server (Debian's
# gir1.2-gst-rtsp-server-1.0 with python3-gi) serving a synthetic H.264 test pattern with the wall-clock time
# burned in (clockoverlay), keyframes at a fixed interval, so a recording of it can be checked frame by frame.
# Run it with /usr/bin/python3 (a pyenv python has no gi). It prints one JSON line, {"port": N, "path": "/cam"},
# once it listens, and quits on SIGTERM/SIGINT or, when its stdin is a pipe, once the pipe closes (its parent died).
# --port 0 (the default) takes a free port; pass the printed one again to restart a camera on the same address.
# --user/--password require HTTP basic auth (a wrong password is refused with 401, as a camera does).
import argparse
import json
import os
import signal
import stat
import sys

import gi
gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument('--host', default='127.0.0.1')
parser.add_argument('--port', type=int, default=0)
parser.add_argument('--path', default='/cam')
parser.add_argument('--width', type=int, default=640)
parser.add_argument('--height', type=int, default=360)
parser.add_argument('--fps', type=int, default=15)
parser.add_argument('--keyint', type=float, default=1.0, help='seconds between keyframes')
parser.add_argument('--bitrate', type=int, default=1000, help='kbit/s')
parser.add_argument('--user')
parser.add_argument('--password')
args = parser.parse_args()

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address(args.host)
server.set_service(str(args.port))

factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    '( videotestsrc is-live=true pattern=smpte '
    f'! video/x-raw,width={args.width},height={args.height},framerate={args.fps}/1 '
    '! clockoverlay time-format="%Y-%m-%d %H:%M:%S" '
    # No B-frames (as most cameras): every frame's decode order is its display order.
    f'! x264enc tune=zerolatency speed-preset=ultrafast bframes=0 key-int-max={max(1, round(args.keyint * args.fps))} bitrate={args.bitrate} '
    '! video/x-h264,profile=baseline '
    '! rtph264pay name=pay0 pt=96 config-interval=1 )'
)
# One encoder for every client (the bench reads a stream twice).
factory.set_shared(True)

if args.user is not None:
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string('media.factory.role', 'camera-user')
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password or ''), token)
    server.set_auth(auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_permission_for_role('camera-user', 'media.factory.access', True)
    permissions.add_permission_for_role('camera-user', 'media.factory.construct', True)
    factory.set_permissions(permissions)

server.get_mount_points().add_factory(args.path, factory)
if server.attach(None) == 0:
    print(json.dumps({'error': f'cannot listen on {args.host}:{args.port}'}), flush=True)
    sys.exit(1)

loop = GLib.MainLoop()
for signum in (signal.SIGTERM, signal.SIGINT):
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signum, loop.quit)
# Only a pipe: started with stdin on /dev/null (or a terminal) it runs until a signal.
if stat.S_ISFIFO(os.fstat(0).st_mode):
    GLib.io_add_watch(0, GLib.IO_HUP | GLib.IO_ERR, lambda *_: loop.quit() or False)

print(json.dumps({'port': server.get_bound_port(), 'path': args.path}), flush=True)
loop.run()
