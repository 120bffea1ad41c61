#include "precis/io/contig_name.hpp"

namespace precis::io {

std::string normalise_contig(const std::string& name) {
    std::string out = name.rfind("chr", 0) == 0 ? name.substr(3) : name;
    if (out == "M") out = "MT";
    return out;
}

}  // namespace precis::io
