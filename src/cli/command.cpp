#include "command.hpp"

#include <tbb/global_control.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string_view>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/io/hts_handles.hpp"

namespace precis::cli {

namespace {

void add_common(po::options_description& common) {
    common.add_options()
        ("help,h", "show this help and exit")
        ("config", po::value<std::string>(), "INI file: keys of section [COMMAND] (and top-level keys) "
                                             "set options; the command line wins")
        ("threads,t", po::value<int>()->default_value(1), "threads per MPI rank")
        ("log-level", po::value<std::string>()->default_value("info"), "error, warn, info or debug")
        ("quiet,q", po::bool_switch(), "only warnings and errors; no progress display");
}

// Keeps the options of `section` (and top-level ones) from a parsed INI file, with the prefix removed.
po::parsed_options section_of(const po::parsed_options& all, const std::string& section,
                              const po::options_description& known, const std::string& file) {
    po::parsed_options out(&known);
    const std::string prefix = section + ".";
    for (const auto& opt : all.options) {
        std::string key = opt.string_key;
        auto dot = key.find('.');
        if (dot != std::string::npos) {
            if (key.compare(0, prefix.size(), prefix) != 0) continue;  // another command's section
            key = key.substr(prefix.size());
        }
        if (key == "config" || key == "help") continue;
        if (!known.find_nothrow(key, false))
            throw input_error::at(file, "[" + (dot == std::string::npos ? std::string("top level") : section) + "]",
                                  "unknown option '" + key + "' for precis " + section);
        po::option kept = opt;
        kept.string_key = key;
        kept.unregistered = false;
        out.options.push_back(kept);
    }
    return out;
}

// The path(s) an option holds: a string or a list of strings (nothing for other types).
std::vector<std::string> paths_of(const po::variable_value& value) {
    if (const auto* one = boost::any_cast<std::string>(&value.value())) return {*one};
    if (const auto* many = boost::any_cast<std::vector<std::string>>(&value.value())) return *many;
    return {};
}

void check_outputs(const po::variables_map& vm, const std::vector<std::string>& outputs) {
    namespace fs = std::filesystem;
    for (auto o = outputs.begin(); o != outputs.end(); ++o) {
        if (!vm.count(*o)) continue;
        for (const std::string& out : paths_of(vm[*o])) {
            std::error_code ec;
            if (fs::is_directory(out, ec)) throw input_error("--" + *o + " " + out + " is a directory: give a file name");
            if (fs::exists(out, ec))
                for (const auto& [name, value] : vm) {
                    if (std::find(outputs.begin(), outputs.end(), name) != outputs.end()) continue;
                    for (const std::string& in : paths_of(value)) {
                        if (fs::is_regular_file(in, ec) && fs::equivalent(in, out, ec))
                            throw input_error("--" + *o + " " + out + " is the file of --" + name +
                                              ": writing it would destroy that input; give another output name");
                        // HTSlib finds an input's index beside it by name.
                        for (const char* index : {".tbi", ".csi", ".fai", ".gzi", ".bai", ".crai"})
                            if (fs::is_regular_file(in + index, ec) && fs::equivalent(in + index, out, ec))
                                throw input_error("--" + *o + " " + out + " is the index of --" + name + " " + in +
                                                  ": writing it would destroy that index; give another output name");
                    }
                }
            for (auto other = std::next(o); other != outputs.end(); ++other)
                if (vm.count(*other))
                    for (const std::string& out2 : paths_of(vm[*other]))
                        if (fs::weakly_canonical(out, ec) == fs::weakly_canonical(out2, ec))
                            throw input_error("--" + *o + " and --" + *other + " both name " + out + ": one would overwrite the other");
        }
    }
}

}  // namespace

std::optional<po::variables_map> parse(const std::string& command, const std::string& usage,
                                       const po::options_description& options,
                                       const po::positional_options_description& positional,
                                       const std::vector<std::string>& required, int argc, char** argv,
                                       const std::vector<std::string>& outputs) {
    po::options_description common("Common options");
    add_common(common);
    po::options_description all;
    all.add(options).add(common);

    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
        std::cout << "Usage: " << usage << "\n\n" << options << "\n" << common << "\n";
        return std::nullopt;
    }
    if (vm.count("config")) {
        const std::string file = vm["config"].as<std::string>();
        require_readable_file(file, "--config");
        std::ifstream in(file);
        if (char bom[3]; !in.read(bom, 3) || std::string_view(bom, 3) != "\xEF\xBB\xBF") {  // skip a UTF-8 BOM
            in.clear();
            in.seekg(0);
        }
        po::parsed_options parsed(&all);
        try {
            parsed = po::parse_config_file(in, all, /*allow_unregistered=*/true);
        } catch (const po::error& e) {
            throw input_error::at(file, "", std::string("malformed INI: ") + e.what());
        }
        try {
            po::store(section_of(parsed, command, all, file), vm);  // first store wins: line beats file
        } catch (const po::error& e) {
            throw input_error::at(file, "[" + command + "]", e.what());
        }
    }
    po::notify(vm);
    for (const auto& name : required)
        if (!vm.count(name))
            throw input_error("precis " + command + ": --" + name + " is required (see precis " + command + " --help)");
    check_outputs(vm, outputs);
    return vm;
}

session make_session(const std::string& command, const po::variables_map& vm, MPI_Comm comm, int argc,
                     char** argv) {
    mpi::communicator c(comm);
    bool quiet = vm["quiet"].as<bool>();
    log_level level = quiet ? log_level::warn : parse_log_level(vm["log-level"].as<std::string>());
    int threads = vm["threads"].as<int>();
    if (threads < 1 || threads > 1024) throw input_error("--threads " + std::to_string(threads) + ": must be 1..1024");
    io::set_hts_verbosity(level == log_level::debug);
    std::string line = "precis";
    for (int i = 0; i < argc; ++i) line += std::string(" ") + argv[i];
    auto limit = std::make_shared<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads);
    return session{context{c, logger(command, level, c.rank()), threads, !quiet, line}, limit};
}

}  // namespace precis::cli
