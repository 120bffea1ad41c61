#pragma once
/// A small multilayer perceptron for the clinical + genomic fusion model of `precis train --model mlp`:
/// standardised inputs (the polygenic score and the unpenalised covariates) -> one tanh hidden layer ->
/// a logit (binomial) or the outcome (gaussian).
#include <cstdint>
#include <string>
#include <vector>

#include "precis/model/elastic_net.hpp"

namespace precis::model {

/// Training settings (docs/train.md).
struct mlp_options {
    int hidden = 8;               ///< units of the hidden layer
    double decay = 1e-3;          ///< L2 penalty on the weights (not the biases), added to the mean loss
    int epochs = 500;             ///< full-batch Adam steps
    double learning_rate = 0.01;  ///< Adam step size
    std::uint64_t seed = 1;       ///< initial weights
};

/// A trained network. Inputs are raw values, standardised inside with input_mean / input_sd.
struct mlp {
    std::vector<std::string> inputs;           ///< "PGS" (with genotypes) then the covariate names
    std::vector<double> input_mean, input_sd;  ///< per input
    std::int64_t hidden = 0;
    std::vector<double> w1;  ///< hidden x inputs, row-major
    std::vector<double> b1;  ///< hidden
    std::vector<double> w2;  ///< hidden
    double b2 = 0;
    double output_mean = 0, output_sd = 1;  ///< gaussian: prediction = output * sd + mean; binomial: 0, 1

    /// The output for one sample's raw inputs (size inputs.size()): a logit (binomial) or the predicted
    /// outcome (gaussian).
    double predict(const std::vector<double>& raw) const;
};

/// Throws input_error for options out of range (--hidden 1..4096, --epochs 1..1000000, --decay >= 0,
/// --learning-rate > 0), before any data is read.
void validate(const mlp_options& o);

/// Fits `net` (whose inputs, input_mean and input_sd are set) on n samples: `z` holds the standardised
/// inputs (n x inputs, row-major), `y` the outcomes (0/1 for binomial, standardised for gaussian; the
/// caller sets output_mean / output_sd). Minimises the mean log loss (binomial) or half the mean squared
/// error (gaussian) plus decay/2 times the squared weights, by full-batch Adam from a seeded Xavier
/// initialisation. Sums over samples run over fixed chunks added in order, so the weights are the same
/// at any thread count; there is no communication (every rank fits the same data to the same network).
void fit_mlp(mlp& net, const std::vector<double>& z, const std::vector<double>& y, family f, const mlp_options& o);

}  // namespace precis::model
