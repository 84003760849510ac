import { isAppError } from '../../shared/api/result';
import { describeError } from '../../shared/i18n/describe-error';
import { parse, UsageError } from './args';
import type { Command } from './commands';
import { cliLang, cliT, required } from './cli-support';
import { withCore } from './open-core';
import { addCamera, cameraInfo, readStationCameras } from '../core/cameras/camera-store';

export const cameraAddCommand: Command = {
  summary: 'Add a network camera (RTSP, HTTP MJPEG, NVR channel) to the station',
  usage: `Usage: proofpack camera add --data-dir DIR --url URL [--name NAME] [--role main|closeup] [--json]

Adds a network camera recorded with every scan. URL is rtsp://, rtsps://, http:// or
https:// (MJPEG); user:password in the URL are kept in the data folder (cameras.json,
readable only by this user) and never printed. A station records two cameras at most:
one "main" (overhead) and one "closeup" (label). Without --role the first camera is
main, the second closeup.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      url: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      json: { type: 'boolean' },
    });
    const lang0 = cliLang();
    const url = required(values, 'url', lang0);
    const role = values.role;
    if (role !== undefined && role !== 'main' && role !== 'closeup')
      throw new UsageError(cliT(lang0)('cli.opt.badChoice', { option: '--role', value: role }));
    return withCore(values['data-dir'], async (core) => {
      const lang = cliLang(core.ctx.settings.get().language);
      let camera;
      try {
        camera = await addCamera(core.ctx.paths.root, { url, name: values.name, role });
      } catch (e) {
        if (isAppError(e)) throw new UsageError(describeError(cliT(lang), e));
        throw e;
      }
      if (values.json) console.log(JSON.stringify(camera, null, 2));
      else console.log(cliT(lang)('cli.camera.added', { name: camera.name, role: camera.role, url: camera.url }));
      return 0;
    });
  },
};

export const cameraListCommand: Command = {
  summary: 'List the network cameras of the station (passwords are never printed)',
  usage: `Usage: proofpack camera list --data-dir DIR [--json]

Prints the station's network cameras: id, name, role, URL without credentials.`,
  async run(argv) {
    const { values } = parse(argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    return withCore(values['data-dir'], async (core) => {
      const lang = cliLang(core.ctx.settings.get().language);
      const cameras = readStationCameras(core.ctx.paths.root).cameras.map(cameraInfo);
      if (values.json) console.log(JSON.stringify(cameras, null, 2));
      else if (cameras.length === 0) console.log(cliT(lang)('cli.camera.none'));
      else for (const c of cameras) console.log(`${c.role.padEnd(8)} ${c.name.padEnd(20)} ${c.url}  ${c.id}`);
      return 0;
    });
  },
};
