// A small RTSP server for the camera tests (rtsp-streaming-server from npm): ffmpeg
// publishes a stream to serverPort, the recorder under test reads it from clientPort.
// Run as its own process so a test can stop it (and every socket) by killing it.
import mod from 'rtsp-streaming-server';

const [serverPort, clientPort, rtpPortStart, rtpPortCount] = process.argv.slice(2).map(Number);
const RtspServer = mod.default ?? mod.RtspServer;
// rtpPortCount: the library takes a UDP port pair per reader from this pool and gives it
// back only on TEARDOWN or after a 30 s keep-alive timeout; a failed SETUP never gives it
// back. A reader killed and reconnected (what the station does on a drop) therefore
// holds a pair for 30 s; with a small pool the server ran dry under load and answered
// every new reader with 500, so the camera never came back (the hung reconnect test).
const server = new RtspServer({ serverPort, clientPort, rtpPortStart, rtpPortCount });
// a request that fails inside the library (e.g. a reader arriving between a publisher's
// ANNOUNCE and RECORD) must cost that request, never the whole server
process.on('unhandledRejection', (e) => console.error('[rtsp-test-server]', e));
process.on('uncaughtException', (e) => console.error('[rtsp-test-server]', e));
await server.start();
process.stdout.write('ready\n');
