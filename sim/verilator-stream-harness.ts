// The stream-mode part of the generated Verilator harness (`--stream`): input streams fed from
// beat files as fast as the design takes them, output streams collected with the cycle of each
// beat. Its semantics are mirrored exactly by the Icarus bench in icarus-bench.ts:
//
//   reset: inputs 0, every reset port 1 for two clock cycles, then 0; cycle 0 starts after it.
//   each cycle: drive each input stream (valid = a beat is left, data = that beat) and hold every
//   output ready high; clock low, evaluate; sample the handshakes (an input beat is taken when
//   valid && ready, an output beat is recorded with the cycle number when valid); clock high,
//   evaluate; advance the taken inputs.
//   end: before a cycle, `done` when every output stream has its expected beats, `limit` when
//   the cycle limit is reached, `finish` when the design called $finish.

import type { EmittedDesign, PortInfo } from '../dsl/design.js';
import { findStreams, leafBytes } from './stream-protocol.js';

// Beat bytes are little-endian, as are the hosts Verilator runs on (x86-64, AArch64), so a leaf
// of up to 64 bits is one memcpy; wider leaves are copied word by word into VlWide.
function leafCode(port: PortInfo, member: string, offset: number): { set: string; get: string } {
  const n = leafBytes(port);
  if (port.width <= 64) {
    const mask = port.width === 64 ? '' : ` & ((uint64_t{1} << ${port.width}) - 1)`;
    return {
      set: `{ uint64_t v = 0; std::memcpy(&v, p + ${offset}, ${n}); ${member} = v; }`,
      get: `{ uint64_t v = static_cast<uint64_t>(${member})${mask}; uint8_t b[8]; std::memcpy(b, &v, 8); out.insert(out.end(), b, b + ${n}); }`,
    };
  }
  const words = Math.ceil(port.width / 32);
  const topMask = port.width % 32 === 0 ? '' : `
      if (i == ${words - 1}) w &= (1u << ${port.width % 32}) - 1;`;
  return {
    set: `for (int i = 0; i < ${words}; ++i) { uint32_t w = 0; std::memcpy(&w, p + ${offset} + 4 * i, i == ${words - 1} ? ${n - 4 * (words - 1)} : 4); ${member}[i] = w; }`,
    get: `for (int i = 0; i < ${words}; ++i) {
      uint32_t w = ${member}[i];${topMask}
      uint8_t b[4]; std::memcpy(b, &w, 4); out.insert(out.end(), b, b + (i == ${words - 1} ? ${n - 4 * (words - 1)} : 4));
    }`,
  };
}

/** C++ (inside the harness's anonymous namespace) implementing `runStreams`. */
export function streamHarnessSection(design: EmittedDesign, modelClass: string, member: (port: PortInfo) => string): string {
  const index = (name: string): number => design.ports.findIndex((port) => port.name === name);
  const found = findStreams(design);
  const accessors = found.map((s, k) => {
    let offset = 0;
    const leaves = s.data.map((port) => {
      const code = leafCode(port, `model.${member(port)}`, offset);
      offset += leafBytes(port);
      return code;
    });
    const body = (part: 'set' | 'get'): string => leaves.map((leaf) => `  ${leaf[part]}`).join('\n') || '  (void)model;';
    return `void drive${k}(${modelClass}& model, const uint8_t* p) {\n  (void)p;\n${body('set')}\n}
void collect${k}(${modelClass}& model, std::vector<uint8_t>& out) {\n  (void)out;\n${body('get')}\n}
uint8_t& valid${k}(${modelClass}& model) { return model.${member(s.valid)}; }
uint8_t& ready${k}(${modelClass}& model) { return model.${member(s.ready)}; }`;
  });
  const streams = found.map(
    (s, k) => `  {"${s.name}", ${s.direction === 'input'}, ${s.beatBytes}, drive${k}, collect${k}, valid${k}, ready${k}},`,
  );
  const resets = design.ports.flatMap((port, i) => (port.role === 'reset' && port.direction === 'input' ? [i] : []));
  return `
${accessors.join('\n')}

struct StreamDef {
  const char* name;
  bool isInput;
  size_t beatBytes;
  void (*drive)(${modelClass}&, const uint8_t*);
  void (*collect)(${modelClass}&, std::vector<uint8_t>&);
  uint8_t& (*valid)(${modelClass}&);
  uint8_t& (*ready)(${modelClass}&);
};

const std::vector<StreamDef> streamDefs = {
${streams.join('\n')}
};
const std::vector<int> resetPorts = {${resets.join(', ')}};

struct StreamRun {
  const StreamDef* def = nullptr;
  std::vector<uint8_t> beats;             // input: the beat file
  size_t count = 0, next = 0;
  bool offered = false;
  long long expect = 0;                   // output: beats that end the run
  std::string dataPath, cyclePath;
  std::vector<uint8_t> outBytes;
  std::vector<uint64_t> outCycles;
};

[[noreturn]] void usage(const std::string& message) {
  std::cerr << "harness: " << message << std::endl;
  std::exit(2);
}

const StreamDef& findStream(const std::string& name, bool isInput) {
  for (const StreamDef& def : streamDefs) {
    if (name == def.name && def.isInput == isInput) return def;
  }
  usage(std::string("no ") + (isInput ? "input" : "output") + " stream '" + name + "'");
}

std::vector<uint8_t> readBytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) usage("cannot read '" + path + "'");
  std::vector<uint8_t> bytes(static_cast<size_t>(file.tellg()));
  file.seekg(0);
  file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!file) usage("cannot read '" + path + "'");
  return bytes;
}

void writeBytes(const std::string& path, const uint8_t* data, size_t size) {
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!file) usage("cannot write '" + path + "'");
}

// Arguments: --in <name> <file> | --out <name> <data file> <cycle file> <beats> | --max-cycles <n>
int runStreams(VerilatedContext& context, ${modelClass}& model, Wave& wave, int argc, char** argv) {
  std::vector<StreamRun> runs;
  unsigned long long maxCycles = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string { if (i + 1 >= argc) usage(arg + " needs a value"); return argv[++i]; };
    if (arg == "--in") {
      StreamRun run;
      run.def = &findStream(next(), true);
      run.beats = readBytes(next());
      const size_t beatBytes = run.def->beatBytes;
      if (beatBytes == 0 || run.beats.size() % beatBytes != 0) usage("beat file length is not whole beats");
      run.count = run.beats.size() / beatBytes;
      runs.push_back(run);
    } else if (arg == "--out") {
      StreamRun run;
      run.def = &findStream(next(), false);
      run.dataPath = next();
      run.cyclePath = next();
      run.expect = std::stoll(next());
      runs.push_back(run);
    } else if (arg == "--max-cycles") {
      maxCycles = std::stoull(next());
    }
  }
  // The reset cycles belong to the waveform only when the window starts at cycle 0.
  wave.on = wave.from == 0;
  for (int port : resetPorts) ports[port].set(model, Words{1});
  for (int i = 0; i < 2; ++i) { halfCycle(context, model, wave, 0); halfCycle(context, model, wave, 1); }
  for (int port : resetPorts) ports[port].set(model, Words{0});

  const char* status = "done";
  unsigned long long cycle = 0;
  for (;; ++cycle) {
    bool done = true;
    for (const StreamRun& run : runs) {
      if (!run.def->isInput && static_cast<long long>(run.outCycles.size()) < run.expect) done = false;
    }
    if (done) break;
    if (cycle >= maxCycles) { status = "limit"; break; }
    if (context.gotFinish()) { status = "finish"; break; }
    wave.at(cycle);
    for (StreamRun& run : runs) {
      if (run.def->isInput) {
        run.offered = run.next < run.count;
        run.def->valid(model) = run.offered;
        if (run.offered) run.def->drive(model, &run.beats[run.next * run.def->beatBytes]);
      } else {
        run.def->ready(model) = 1;
      }
    }
    halfCycle(context, model, wave, 0);
    for (StreamRun& run : runs) {
      if (run.def->isInput) {
        run.offered = run.offered && (run.def->ready(model) & 1);
      } else if (run.def->valid(model) & 1) {
        run.def->collect(model, run.outBytes);
        run.outCycles.push_back(cycle);
      }
    }
    halfCycle(context, model, wave, 1);
    for (StreamRun& run : runs) {
      if (run.def->isInput && run.offered) ++run.next;
    }
  }
  std::cout << "stream " << status << ' ' << cycle << '\\n';
  for (const StreamRun& run : runs) {
    if (run.def->isInput) {
      std::cout << "in " << run.def->name << ' ' << run.next << '\\n';
    } else {
      std::vector<uint8_t> cycles;
      for (uint64_t c : run.outCycles) {
        for (int i = 0; i < 8; ++i) cycles.push_back(uint8_t(c >> (8 * i)));
      }
      writeBytes(run.dataPath, run.outBytes.data(), run.outBytes.size());
      writeBytes(run.cyclePath, cycles.data(), cycles.size());
      std::cout << "out " << run.def->name << ' ' << run.outCycles.size() << '\\n';
    }
  }
  return 0;
}
`;
}
