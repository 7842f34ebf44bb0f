// ua-parser-js 1.x ships no types (2.x does, but 2.x is AGPL and must never be used). Only what the
// user-agent stage calls is declared.
declare module 'ua-parser-js' {
  namespace UAParser {
    interface IBrowser {
      name?: string;
      version?: string;
      major?: string;
    }
    interface IEngine {
      name?: string;
      version?: string;
    }
    interface IOS {
      name?: string;
      version?: string;
    }
    interface IDevice {
      vendor?: string;
      model?: string;
      type?: string;
    }
  }
  class UAParser {
    constructor(ua?: string);
    setUA(ua: string): this;
    getBrowser(): UAParser.IBrowser;
    getEngine(): UAParser.IEngine;
    getOS(): UAParser.IOS;
    getDevice(): UAParser.IDevice;
    static readonly VERSION: string;
  }
  export = UAParser;
}
