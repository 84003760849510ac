// A small RTSP server for the camera tests (rtsp-streaming-server from npm): ffmpeg
// publishes a stream to serverPort, the recorder under test reads it from clientPort.
// Run as its own process so a test can stop it (and every socket) by killing it.
import mod from 'rtsp-streaming-server';

const [serverPort, clientPort, rtpPortStart] = process.argv.slice(2).map(Number);
const RtspServer = mod.default ?? mod.RtspServer;
const server = new RtspServer({ serverPort, clientPort, rtpPortStart, rtpPortCount: 40 });
await server.start();
process.stdout.write('ready\n');
