// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

// The council's notice period is OpenZeppelin's TimelockController, unchanged: this file only makes
// contracts/build.ts compile it, so its artifact comes from the same compiler and settings as ours.
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
