#!/usr/bin/python3
# A real RTSP server for the tests: GStreamer's RTSP server (gir1.2-gst-rtsp-server-1.0 with python3-gi)
# serving a synthetic H.264 test pattern with the wall-clock time burned in, one keyframe a second.
# Run it with Debian's /usr/bin/python3 (pyenv's python3 on PATH has no `gi`).
#   rtsp-server.py [--port N (0: any free port)] [--path /cam] [--user U --password P] [--size 640x360] [--fps 10]
# Prints `PORT <n>` on stdout once it listens; stops on SIGTERM/SIGINT.
import argparse
import signal
import sys

import gi
gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--port', type=int, default=0)
parser.add_argument('--path', default='/cam')
parser.add_argument('--user')
parser.add_argument('--password')
parser.add_argument('--size', default='640x360')
parser.add_argument('--fps', type=int, default=10)
args = parser.parse_args()
width, height = (int(n) for n in args.size.split('x'))

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address('127.0.0.1')
server.set_service(str(args.port))

factory = GstRtspServer.RTSPMediaFactory()
# key-int-max = fps: one keyframe a second, so cuts and probes find one quickly.
factory.set_launch(
    f'( videotestsrc is-live=true pattern=smpte ! video/x-raw,width={width},height={height},framerate={args.fps}/1 '
    f'! clockoverlay time-format="%Y-%m-%d %H:%M:%S" ! videoconvert '
    f'! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={args.fps} bitrate=800 '
    f'! rtph264pay name=pay0 pt=96 config-interval=1 )')
factory.set_shared(True)

if args.user is not None:
    # Basic auth: a client with a wrong user name or password gets 401 Unauthorized.
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, 'user')
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password or ''), token)
    server.set_auth(auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_role_from_structure(Gst.Structure.new_from_string('user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true'))
    factory.set_permissions(permissions)

server.get_mount_points().add_factory(args.path, factory)
if server.attach(None) == 0:
    print('could not listen', file=sys.stderr)
    sys.exit(1)
print(f'PORT {server.get_bound_port()}', flush=True)

loop = GLib.MainLoop()
for sig in (signal.SIGTERM, signal.SIGINT):
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
loop.run()
